/**
 * The role runtime: what every ddpp role (sampler, scorer, joiner, trainer, registry, demo) stands on — one set of
 * connection settings ({@link org.ddpp.runtime.ConnectionSettings} → {@link org.ddpp.runtime.ClusterConnection}),
 * the topic and group names ({@link org.ddpp.runtime.TopicNames}), the start-up reachability check and bounded
 * shutdown.
 */
package org.ddpp.runtime;
