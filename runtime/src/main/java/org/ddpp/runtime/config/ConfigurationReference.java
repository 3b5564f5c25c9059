package org.ddpp.runtime.config;

import java.util.List;

/**
 * Writes the configuration reference ({@code docs/configuration.md}) from the {@link Setting} definitions: one table
 * per {@link SettingGroup} with flag, type, default, rules and doc. Generated, never edited by hand, so the page
 * cannot drift from the code.
 */
public final class ConfigurationReference {

    private ConfigurationReference() {}

    /** The whole page: a header, then one section per group. */
    public static String markdown(String intro, List<SettingGroup> groups) {
        StringBuilder b = new StringBuilder("# Configuration reference\n\n");
        b.append(intro.strip()).append("\n\n");
        for (SettingGroup group : groups) {
            b.append("## ").append(group.name()).append("\n\n").append(group.title().strip()).append("\n\n");
            b.append("| flag | type | default | rules | what it does |\n|---|---|---|---|---|\n");
            for (Setting<?> s : group.settings()) {
                b.append("| `").append(s.flag()).append("` | ").append(s.type().name()).append(" | ")
                        .append(s.required() ? "required" : s.defaultText() == null ? "—" : "`" + s.defaultText() + "`").append(" | ")
                        .append(String.join(", ", s.requirements())).append(" | ")
                        .append(cell(s.doc())).append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Text safe inside a table cell: no pipes, no line breaks, no angle brackets read as HTML. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }
}
