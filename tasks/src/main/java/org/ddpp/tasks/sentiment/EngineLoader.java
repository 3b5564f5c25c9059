package org.ddpp.tasks.sentiment;

import ai.djl.engine.Engine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a configured DJL engine by name, never DJL's default, and turns every way it can fail into one
 * {@link EngineUnavailableException} line: not on the class path, or its native library cannot load (the line
 * names the missing shared object). A failure is remembered per engine, because DJL answers a second attempt
 * with a bare {@code NoClassDefFoundError}.
 */
public final class EngineLoader {

    private static final Pattern MISSING_LIBRARY = Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");
    private static final Map<EngineChoice, String> FAILED = new ConcurrentHashMap<>();

    private EngineLoader() {}

    /** The running engine for {@code choice}; {@link EngineUnavailableException} (one line) when it cannot load. */
    public static Engine require(EngineChoice choice) {
        String known = FAILED.get(choice);
        if (known != null) {
            throw new EngineUnavailableException(known);
        }
        if (!Engine.hasEngine(choice.djlName())) {
            throw remember(choice, "DJL engine " + choice.djlName() + " is not on the class path (needs " + choice.needs() + ")");
        }
        try {
            return Engine.getEngine(choice.djlName());
        } catch (Throwable e) { // native loading fails with errors (UnsatisfiedLinkError, ExceptionInInitializerError)
            if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
                throw vm;
            }
            throw remember(choice, "DJL engine " + choice.djlName() + " cannot load: " + reason(e) + " (needs " + choice.needs()
                    + "; or set " + EngineChoice.PROPERTY + "=" + EngineChoice.DEFAULT.djlName() + ")");
        }
    }

    private static EngineUnavailableException remember(EngineChoice choice, String message) {
        FAILED.put(choice, message);
        return new EngineUnavailableException(message);
    }

    /** The deepest cause in one short phrase: the missing shared library when that is what failed. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        Matcher m = MISSING_LIBRARY.matcher(message);
        if (m.find()) {
            return "native library " + m.group(1) + " is missing";
        }
        String line = message.lines().findFirst().orElse(message).strip();
        return root.getClass().getSimpleName() + ": " + line;
    }
}
