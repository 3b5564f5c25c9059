package org.ddpp.ops.demo;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.ddpp.diffusion.checkpoint.Checkpoint;
import org.ddpp.diffusion.checkpoint.ParameterIO;
import org.ddpp.diffusion.checkpoint.PolicyWeights;
import org.ddpp.diffusion.model.GradMode;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.runtime.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates published policy versions on a thread of its own, so the demo's measurements never slow the trainer:
 * the trainer thread only copies the weights into memory ({@link #submit}); the evaluator loads them into its own
 * model and computes the figures. When versions arrive faster than they can be evaluated, the newest wins and the
 * ones in between are skipped.
 */
final class PolicyEvaluator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvaluator.class);

    /** A task's figures of one policy, by name. */
    @FunctionalInterface
    interface Figures {
        Map<String, Double> of(Mdm policy, long version);
    }

    /** One evaluated version. */
    record Evaluated(long version, long step, Map<String, Double> figures) {}

    private record Job(long version, long step, byte[] weights) {}

    private final Object lock = new Object();
    private final Thread thread;
    private Job pending;
    private boolean closed;

    PolicyEvaluator(Path pretrained, Figures figures, Consumer<Evaluated> sink, String name) {
        thread = new Thread(() -> loop(pretrained, figures, sink), "evaluator-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Copies {@code policy}'s weights (on the caller's thread) and queues them, replacing a queued older version. */
    void submit(long version, long step, Mdm policy) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ParameterIO.save(policy.block(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (lock) {
            pending = new Job(version, step, bytes.toByteArray());
            lock.notifyAll();
        }
    }

    private void loop(Path pretrained, Figures figures, Consumer<Evaluated> sink) {
        GradMode.off();
        try (NDManager root = NDManager.newBaseManager(); Mdm model = Checkpoint.open(pretrained).loadPolicy(root)) {
            while (true) {
                Job job;
                synchronized (lock) {
                    while (pending == null && !closed) {
                        lock.wait();
                    }
                    if (closed) {
                        return;
                    }
                    job = pending;
                    pending = null;
                }
                PolicyWeights.read(model, new ByteArrayInputStream(job.weights()));
                sink.accept(new Evaluated(job.version(), job.step(), figures.of(model, job.version())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.error("policy evaluation stopped: {}", e.toString(), e);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        Shutdown.await(thread, Duration.ofSeconds(30));
    }
}
