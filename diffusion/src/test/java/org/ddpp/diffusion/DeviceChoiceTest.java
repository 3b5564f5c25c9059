package org.ddpp.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** {@code --device}: what parses, what each choice resolves to with and without GPUs, and the one-line refusals. */
class DeviceChoiceTest {

    @Test
    void parsesTheFourForms() {
        assertEquals(DeviceChoice.AUTO, DeviceChoice.parse("auto"));
        assertEquals(DeviceChoice.CPU, DeviceChoice.parse(" CPU "));
        assertEquals(new DeviceChoice(DeviceChoice.Kind.GPU, 0), DeviceChoice.parse("gpu"));
        assertEquals(new DeviceChoice(DeviceChoice.Kind.GPU, 3), DeviceChoice.parse("gpu:3"));
        assertEquals("gpu:3", DeviceChoice.parse("gpu:3").toString());
        for (String bad : new String[] {"", "cuda", "gpu:", "gpu:-1", "gpu:x", "cpu:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(bad));
            assertTrue(e.getMessage().startsWith("--device must be auto, cpu, gpu or gpu:N"), e.getMessage());
        }
    }

    @Test
    void resolvesAgainstTheGpusTheEngineSees() {
        assertEquals(Device.cpu(), DeviceChoice.AUTO.resolve(0, "PyTorch 2.5.1"));
        assertEquals(Device.gpu(0), DeviceChoice.AUTO.resolve(2, "PyTorch 2.5.1"));
        assertEquals(Device.cpu(), DeviceChoice.CPU.resolve(2, "PyTorch 2.5.1"));
        assertEquals(Device.gpu(1), DeviceChoice.parse("gpu:1").resolve(2, "PyTorch 2.5.1"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> DeviceChoice.parse("gpu").resolve(0, "PyTorch 2.5.1"));
        assertTrue(none.getMessage().startsWith("--device gpu:0: PyTorch 2.5.1 sees no GPU"), none.getMessage());
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> DeviceChoice.parse("gpu:2").resolve(2, "PyTorch 2.5.1"));
        assertTrue(beyond.getMessage().contains("sees 2 GPU(s), numbered from 0"), beyond.getMessage());
    }

    @Test
    void onThisEngineAutoIsWhatTheEngineSees() {
        Device d = DeviceChoice.AUTO.resolve();
        assertEquals(ai.djl.engine.Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu(), d);
    }
}
