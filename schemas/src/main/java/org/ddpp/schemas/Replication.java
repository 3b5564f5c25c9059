package org.ddpp.schemas;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * How many copies of each ddpp topic a cluster keeps, and how many must have a write before it counts
 * ({@code min.insync.replicas}; producers use {@code acks=all}). Either fixed, or {@link #AUTO}: 1/1 on a one-broker
 * cluster, 2/1 on two brokers and 3/2 on three or more — so a replicated cluster survives the loss of one broker
 * without losing an acknowledged record, and a laptop needs no settings.
 *
 * @param factor            replication factor; 0 = decided from the cluster's size
 * @param minInsyncReplicas {@code min.insync.replicas}; 0 = decided from the factor
 */
public record Replication(short factor, int minInsyncReplicas) {

    /** Decided from the cluster's size when topics are created. */
    public static final Replication AUTO = new Replication((short) 0, 0);

    public Replication {
        if (factor < 0 || factor > 32) {
            throw new IllegalArgumentException("replication factor must be between 1 and 32 (or 0 = from the cluster size), got " + factor);
        }
        if (minInsyncReplicas < 0 || (factor > 0 && minInsyncReplicas > factor)) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor " + factor
                    + " (or 0 = from the factor), got " + minInsyncReplicas);
        }
    }

    /** A fixed setting, e.g. {@code of(3, 2)}; 0 for either part keeps it automatic. */
    public static Replication of(int factor, int minInsyncReplicas) {
        return new Replication((short) factor, minInsyncReplicas);
    }

    /** The default for a cluster of {@code brokers} brokers. */
    public static Replication forBrokers(int brokers) {
        if (brokers >= 3) {
            return of(3, 2);
        }
        return brokers == 2 ? of(2, 1) : of(1, 1);
    }

    public boolean automatic() {
        return factor == 0;
    }

    /** This setting with its automatic parts decided for a cluster of {@code brokers} brokers. */
    public Replication resolve(int brokers) {
        Replication auto = forBrokers(brokers);
        short f = factor > 0 ? factor : auto.factor();
        int isr = minInsyncReplicas > 0 ? minInsyncReplicas : Math.max(1, Math.min(auto.minInsyncReplicas(), f - 1));
        if (f == 1) {
            isr = 1;
        }
        return new Replication(f, Math.min(isr, f));
    }

    /** Resolves the automatic parts by asking {@code admin} how many brokers the cluster has. */
    public Replication resolve(Admin admin) {
        if (factor > 0 && minInsyncReplicas > 0) {
            return this;
        }
        try {
            return resolve(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot count the cluster's brokers: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting the cluster's brokers", e);
        }
    }

    @Override
    public String toString() {
        return automatic() ? "auto" : "replication " + factor + ", min.insync.replicas " + minInsyncReplicas;
    }
}
