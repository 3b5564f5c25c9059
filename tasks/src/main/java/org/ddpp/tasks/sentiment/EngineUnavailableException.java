package org.ddpp.tasks.sentiment;

/**
 * A configured DJL engine cannot run here (not on the class path, native libraries missing, or unable to read the
 * model). The message is one line naming the engine and what is missing, fit to show a user as it is.
 */
public final class EngineUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message) {
        super(message);
    }
}
