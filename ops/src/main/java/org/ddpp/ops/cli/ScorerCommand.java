package org.ddpp.ops.cli;

import org.ddpp.runtime.ClusterConnection;
import org.ddpp.runtime.RoleLifecycle;
import org.ddpp.runtime.StartupCheck;
import org.ddpp.scorers.Scorer;
import org.ddpp.scorers.Scorers;
import org.ddpp.scorers.service.ScorerService;
import org.ddpp.scorers.service.ScorerServiceConfig;
import org.ddpp.scorers.service.ScorerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ddpp scorer}: runs one scorer found on the class path as a transactional Kafka service (reads
 * {@code ddpp.candidates}, writes {@code ddpp.scores}); stops within the shutdown bound on SIGTERM.
 */
@Command(name = "scorer", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.class,
        description = {"Score candidates from ddpp.candidates with one scorer and write ddpp.scores, exactly once "
                + "per candidate (Kafka transactions). Instances of one scorer share the work through the consumer "
                + "group ddpp-scorer-<name>; candidates of tasks the scorer does not accept are skipped.",
                "Built-in scorers: see --list."})
public final class ScorerCommand extends RoleCommand {

    @Option(names = "--scorer", description = "Scorer name, required unless --list (see --list).")
    String scorer;

    @Option(names = "--list", description = "Print the scorers on the class path and exit.")
    boolean list;

    public ScorerCommand() {
        super(withConnection(ScorerSettings.ALL));
    }

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (Scorer s : Scorers.all()) {
                spec.commandLine().getOut().println(s.name() + "\tversion " + s.version() + "\ttasks " + s.tasks());
            }
            return 0;
        }
        if (scorer == null) {
            throw new IllegalArgumentException("--scorer is required (known: " + String.join(", ", Scorers.names()) + ")");
        }
        ClusterConnection cluster = connection().connection();
        ScorerServiceConfig config = ScorerServiceConfig.builder()
                .setConnection(cluster)
                .setScorer(Scorers.byName(scorer).name())
                .opt(chosen())
                .optMeterRegistry(connection().meterRegistry())
                .build();
        StartupCheck.require(cluster, connection().startupTimeout());
        ServiceLifetime.ensureTopics(cluster);
        ScorerService service = ScorerService.start(config);
        System.out.println("ddpp scorer: " + scorer + " instance " + config.instanceId() + " scoring "
                + config.topics().candidates() + " -> " + config.topics().scores() + " on " + cluster.bootstrapServers());
        System.out.flush();
        AutoCloseable endpoint = connection().serveMetrics(service::isRunning, service::isRunning);
        return RoleLifecycle.run("scorer " + scorer, RoleLifecycle.role(() -> {
            service.close();
            endpoint.close();
        }, service::isRunning, service::failure), connection().shutdownTimeout());
    }
}
