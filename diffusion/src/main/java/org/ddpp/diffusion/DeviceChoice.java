package org.ddpp.diffusion;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a role's model lives ({@code --device auto|cpu|gpu[:N]}): parsed once from the command line, then
 * {@link #resolve resolved} against the PyTorch engine on the class path. Every NDManager of a training or sampling
 * run is made on the resolved device, so all arrays of a step live there. {@code auto} takes GPU 0 where the engine
 * sees one (the {@code -Pcuda} build on a host with an NVIDIA driver) and the CPU otherwise, and says which;
 * {@code gpu} without a usable GPU is an error with one readable line, never a silent fall-back to the CPU.
 *
 * @param kind what was asked for
 * @param gpu  the GPU index for {@link Kind#GPU} (0 for {@code gpu}); 0 otherwise
 */
public record DeviceChoice(Kind kind, int gpu) {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceChoice.class);
    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d{1,3}))?");

    /** What {@code --device} asks for. */
    public enum Kind { AUTO, CPU, GPU }

    /** The default: GPU 0 where there is one, else the CPU. */
    public static final DeviceChoice AUTO = new DeviceChoice(Kind.AUTO, 0);
    /** Always the CPU. */
    public static final DeviceChoice CPU = new DeviceChoice(Kind.CPU, 0);

    public DeviceChoice {
        Objects.requireNonNull(kind, "kind");
        if (gpu < 0 || (kind != Kind.GPU && gpu != 0)) {
            throw new IllegalArgumentException("a GPU index belongs to --device gpu:N only, got " + kind + " " + gpu);
        }
    }

    /** Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}. */
    public static DeviceChoice parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.equals("cpu")) {
            return CPU;
        }
        Matcher m = GPU.matcher(t);
        if (m.matches()) {
            return new DeviceChoice(Kind.GPU, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("--device must be auto, cpu, gpu or gpu:N, got '" + text + "'");
    }

    /** The device on the default engine (PyTorch); see {@link #resolve(int, String)}. */
    public Device resolve() {
        Engine engine = Engine.getInstance();
        return resolve(engine.getGpuCount(), engine.getEngineName() + " " + engine.getVersion());
    }

    /**
     * The device given {@code gpus} GPUs seen by {@code engine}: for {@code auto} GPU 0 or the CPU (logged), for
     * {@code gpu:N} GPU N if it exists.
     *
     * @throws IllegalArgumentException for {@code gpu:N} when the engine sees no GPU N, with what it does see
     */
    public Device resolve(int gpus, String engine) {
        switch (kind) {
            case CPU:
                return Device.cpu();
            case AUTO:
                if (gpus > 0) {
                    LOG.info("device auto: gpu(0), one of {} GPU(s) {} sees", gpus, engine);
                    return Device.gpu(0);
                }
                LOG.info("device auto: cpu ({} sees no GPU; a GPU needs the -Pcuda build and an NVIDIA driver)", engine);
                return Device.cpu();
            default:
                if (gpu >= gpus) {
                    throw new IllegalArgumentException("--device " + this + ": " + engine + " sees "
                            + (gpus == 0 ? "no GPU" : gpus + " GPU(s), numbered from 0")
                            + (gpus == 0 ? " (a GPU needs the -Pcuda build, a CUDA 12.4 capable NVIDIA driver and the GPU itself)" : ""));
                }
                return Device.gpu(gpu);
        }
    }

    /** As typed: {@code auto}, {@code cpu}, {@code gpu:N}. */
    @Override
    public String toString() {
        return kind == Kind.GPU ? "gpu:" + gpu : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
