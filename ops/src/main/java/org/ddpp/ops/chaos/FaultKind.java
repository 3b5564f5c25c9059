package org.ddpp.ops.chaos;

/**
 * The faults a chaos run injects. Kills are SIGKILL ({@code kill -9}) followed by a restart with the same flags;
 * a stop is SIGSTOP for longer than the role's consumer session timeout, then SIGCONT; a restart is SIGTERM, the
 * role's own clean stop, and a start; a poison writes hostile records ({@link PoisonRecords}) on one topic.
 */
enum FaultKind {
    KILL_SAMPLER("kill:sampler"),
    KILL_SCORER("kill:scorer"),
    KILL_JOINER("kill:joiner"),
    KILL_TRAINER("kill:trainer"),
    KILL_REGISTRY("kill:registry"),
    KILL_BROKER("kill:broker"),
    STOP_SCORER("stop:scorer"),
    STOP_JOINER("stop:joiner"),
    RESTART_REGISTRY("restart:registry"),
    RESTART_BROKER("restart:broker"),
    RESTART_TRAINER("restart:trainer"),
    POISON_CANDIDATES("poison:candidates"),
    POISON_SCORES("poison:scores"),
    POISON_REWARDS("poison:rewards"),
    POISON_POLICY("poison:policy"),
    POISON_DLQ("poison:dlq");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    /** The name in the report, e.g. {@code kill:broker}. */
    String label() {
        return label;
    }
}
