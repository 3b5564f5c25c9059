package org.ddpp.diffusion.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Parses the lower-case command-line names of the training enums ({@link Objective}, {@link DdppConfig.Residual},
 * {@link DdppConfig.TimeWeighting}) case-insensitively, with one readable error that lists the known names.
 */
final class EnumNames {

    private EnumNames() {}

    /** The constant of {@code type} named {@code text}; otherwise "unknown WHAT 'text' (known: a, b)". */
    static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        String known = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown " + what + " '" + text + "' (known: " + known + ")");
    }
}
