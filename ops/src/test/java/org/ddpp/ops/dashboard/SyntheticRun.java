package org.ddpp.ops.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.ddpp.diffusion.task.GridTask;
import org.ddpp.testkit.TestStack;
import org.ddpp.schemas.Topics;
import org.ddpp.schemas.avro.Metrics;

/**
 * Publishes the figures a whole online run would publish — trainer, two samplers, two scorers, the joiner and the
 * demo's exact TV — as real {@code Metrics} records through the embedded broker and registry, one simulated second
 * per round, with curves shaped like a run that learns. Also builds grid pictures of the grid task.
 */
final class SyntheticRun implements AutoCloseable {

    /** Records per {@link #publishRound()}. */
    static final int RECORDS_PER_ROUND = 7;

    final String run;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Serializer<Metrics> values;
    private final Instant start = Instant.now().minusSeconds(120);
    private final SplittableRandom rng = new SplittableRandom(7);
    private int tick;

    SyntheticRun(TestStack stack, String run) {
        this.run = run;
        this.producer = stack.producer();
        this.values = Topics.METRICS.valueSerde(stack.cache(), true).serializer();
    }

    /** Sends one snapshot of every role at the next simulated second; returns the trainer's loss in it. */
    synchronized double publishRound() {
        double x = tick / 60.0;
        Instant at = start.plus(Duration.ofSeconds(tick));
        double loss = 2 * Math.exp(-3 * x) + 0.05 + 0.05 * rng.nextDouble();
        double logR = -4 * Math.exp(-2 * x) - 0.1 * rng.nextDouble();
        Map<String, Double> trainer = new LinkedHashMap<>();
        trainer.put("steps_total", 20.0 * tick);
        trainer.put("policy_version", (double) (tick / 5));
        trainer.put("loss", loss);
        trainer.put("log_r_mean", logR);
        trainer.put("log_r_q10", logR - 1.5 * Math.exp(-x));
        trainer.put("log_r_q50", logR + 0.2);
        trainer.put("log_r_q90", Math.min(0, logR + 1.5 * Math.exp(-x)));
        trainer.put("log_z_full_mask", -0.69 * (1 - Math.exp(-3 * x)));
        trainer.put("log_z_batch_mean", -0.5 * (1 - Math.exp(-3 * x)) + 0.02 * rng.nextDouble());
        trainer.put("buffer_size", Math.min(4096.0, 60.0 * tick));
        trainer.put("exploration_share", 0.5 + 0.02 * (rng.nextDouble() - 0.5));
        trainer.put("samples_in_per_s", 60 + 5 * rng.nextDouble());
        trainer.put("steps_per_s", 20 + 2 * rng.nextDouble());
        trainer.put("consumer_lag", 30 + 10 * Math.sin(tick / 4.0));
        send("trainer", "trainer-0", at, trainer);
        for (int s = 0; s < 2; s++) {
            send("sampler", "sampler-" + s, at, Map.of(
                    "candidates_per_s", 30 + 3 * rng.nextDouble(),
                    "outstanding", 80 + 20 * rng.nextDouble(),
                    "policy_version", s == 0 ? (double) (tick / 5) : 0.0));
        }
        for (String scorer : new String[] {"half-plane", "distance"}) {
            send("scorer", scorer + "-0", at, Map.of(
                    "scored_per_s", 60 + 4 * rng.nextDouble(),
                    "latency_ms_p50", 2 + rng.nextDouble(),
                    "failed_total", 0.0));
        }
        send("joiner", "joiner-0", at, Map.of(
                "joined_per_s", 59 + 4 * rng.nextDouble(),
                "dead_letters", (double) (tick / 20),
                "consumer_lag", 5 + 3 * rng.nextDouble()));
        send("demo", "demo", at, Map.of("tv_policy_to_target", tv(x)));
        tick++;
        return loss;
    }

    /** Sends one record of another run (the dashboard's run filter must hide it). */
    void publishForeign(String otherRun) {
        send("trainer", "trainer-0", start, Map.of("loss", 99.0), otherRun);
    }

    /** A record of a role that serves every run (scorers and the joiner publish with run "all"). */
    void publishClusterWide(String role, String instance, Map<String, Double> figures) {
        send(role, instance, start, figures, "all");
    }

    void flush() {
        producer.flush();
    }

    private void send(String role, String instance, Instant at, Map<String, Double> figures) {
        send(role, instance, at, figures, run);
    }

    private void send(String role, String instance, Instant at, Map<String, Double> figures, String runId) {
        Metrics m = Metrics.newBuilder().setRole(role).setInstance(instance).setRun(runId).setAt(at)
                .setValues(new LinkedHashMap<>(figures)).setLabels(Map.of("task", "grid")).build();
        String topic = Topics.METRICS.name();
        producer.send(new ProducerRecord<>(topic, (role + "/" + runId).getBytes(), values.serialize(topic, m)));
    }

    static double tv(double x) {
        return 0.45 * Math.exp(-2.5 * x) + 0.05;
    }

    /** The grid task's target: the prior restricted to the right half-plane, normalised. */
    static double[] target() {
        double[] p = new GridTask().priorTable();
        double total = 0;
        for (int a = 0; a < GridTask.SIZE; a++) {
            for (int b = 0; b < GridTask.SIZE; b++) {
                int i = a * GridTask.SIZE + b;
                p[i] = a >= 64 ? p[i] : 0;
                total += p[i];
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /** A policy that has moved a share {@code progress} of the way from the prior to the target. */
    static double[] policy(double progress) {
        double[] prior = new GridTask().priorTable();
        double[] target = target();
        double[] q = new double[prior.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = (1 - progress) * prior[i] + progress * target[i];
        }
        return q;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
