package org.ddpp.tasks.sentiment;

import java.util.Locale;

/**
 * Which DJL engine runs a scorer's neural model, chosen from configuration rather than left to DJL's default
 * engine (PyTorch, which the diffusion models use). The sentiment encoder reads
 * {@value #PROPERTY} (system property), else {@value #ENVIRONMENT}, else {@link #ONNX_RUNTIME}. Values are the DJL
 * engine names or the constant names, case-insensitive: {@code OnnxRuntime}, {@code onnx-cuda}, {@code onnx-tensorrt},
 * {@code TensorRT}, {@code PyTorch}. The two GPU routes of ONNX Runtime need its GPU package (the {@code -Pcuda}
 * build carries it) and a GPU; {@code TensorRT} is DJL's own TensorRT engine, kept for hosts with TensorRT 8.
 */
public enum EngineChoice {

    /** DJL's PyTorch engine; it runs TorchScript, not the ONNX encoder (choosing it for the encoder fails with one line). */
    PYTORCH("PyTorch", "ai.djl.pytorch:pytorch-engine with pytorch-native-cpu"),
    /** DJL's OnnxRuntime engine, CPU; the default. */
    ONNX_RUNTIME("OnnxRuntime", "ai.djl.onnxruntime:onnxruntime-engine"),
    /** DJL's OnnxRuntime engine on GPU 0 with ONNX Runtime's CUDA execution provider. */
    ONNX_CUDA("OnnxRuntime", "com.microsoft.onnxruntime:onnxruntime_gpu (the -Pcuda build), a CUDA 12 driver and a GPU"),
    /** DJL's OnnxRuntime engine on GPU 0 with ONNX Runtime's TensorRT execution provider (TensorRT 10 on the host). */
    ONNX_TENSORRT("OnnxRuntime", "com.microsoft.onnxruntime:onnxruntime_gpu (the -Pcuda build), TensorRT 10, CUDA 12 and a GPU"),
    /** DJL's TensorRT engine; needs NVIDIA TensorRT and CUDA native libraries on the host. */
    TENSORRT("TensorRT", "ai.djl.tensorrt:tensorrt plus NVIDIA TensorRT (libnvinfer, libnvonnxparser) and CUDA");

    public static final String PROPERTY = "ddpp.sentiment.engine";
    public static final String ENVIRONMENT = "DDPP_SENTIMENT_ENGINE";
    public static final EngineChoice DEFAULT = ONNX_RUNTIME;

    private final String djlName;
    private final String needs;

    EngineChoice(String djlName, String needs) {
        this.djlName = djlName;
        this.needs = needs;
    }

    /** True for the choices that run on a GPU through ONNX Runtime's GPU package. */
    public boolean onnxGpu() {
        return this == ONNX_CUDA || this == ONNX_TENSORRT;
    }

    /** The engine's name in DJL ({@code Engine.getEngine(name)}). */
    public String djlName() {
        return djlName;
    }

    /** What the engine needs on the class path and host, for error messages. */
    public String needs() {
        return needs;
    }

    /** The engine called {@code name} (DJL name or constant name, any case); one-line {@link IllegalArgumentException} otherwise. */
    public static EngineChoice parse(String name) {
        String n = name.strip().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        for (EngineChoice c : values()) {
            if (c.djlName.toLowerCase(Locale.ROOT).equals(n) || c.name().replace("_", "").toLowerCase(Locale.ROOT).equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown DJL engine '" + name + "' for " + PROPERTY + " (known: PyTorch, OnnxRuntime, onnx-cuda, onnx-tensorrt, TensorRT)");
    }

    /** The configured engine: {@value #PROPERTY}, else {@value #ENVIRONMENT}, else {@link #DEFAULT}. */
    public static EngineChoice configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENVIRONMENT);
        }
        return v == null || v.isBlank() ? DEFAULT : parse(v);
    }
}
