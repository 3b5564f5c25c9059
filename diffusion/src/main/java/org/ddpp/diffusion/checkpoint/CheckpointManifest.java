package org.ddpp.diffusion.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.ddpp.diffusion.model.NetworkShape;

/**
 * The JSON manifest of a checkpoint directory: what task and architecture the weights belong to, how far training
 * got, and the sha256 of every file so a corrupted or partial checkpoint is refused. {@code extra} carries
 * role-specific state (e.g. consumed Kafka offsets).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointManifest(
        @JsonProperty("format") int format,
        @JsonProperty("task") String task,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("length") int length,
        @JsonProperty("policy") NetworkShape policy,
        @JsonProperty("log_partition") NetworkShape logPartition,
        @JsonProperty("step") long step,
        @JsonProperty("policy_version") long policyVersion,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("extra") Map<String, String> extra,
        @JsonProperty("files") Map<String, String> files) {

    public static final int FORMAT = 1;
}
