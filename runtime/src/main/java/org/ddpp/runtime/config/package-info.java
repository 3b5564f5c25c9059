/**
 * Typed role settings, each defined once ({@link org.ddpp.runtime.config.Setting}: flag name, type, default, doc,
 * validation, in the style of Flink's {@code ConfigOption} and Kafka's {@code ConfigDef}) and held in an immutable
 * {@link org.ddpp.runtime.config.Settings}. The role configs' builders take them through one
 * {@code opt(Setting, value)}, the command line generates its options from them, and {@code docs/configuration.md}
 * is generated from them, so a default or a doc cannot disagree between the three.
 */
package org.ddpp.runtime.config;
