package org.ddpp.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicOfTheDesignIsRegisteredOnceWithItsPolicy() {
        List<String> names = Topics.all().stream().map(TopicSpec::name).toList();
        assertEquals(List.of("ddpp.candidates", "ddpp.scores", "ddpp.rewards", "ddpp.policy", "ddpp.metrics",
                "ddpp.dlq", "_schemas"), names);
        assertEquals(names.size(), new HashSet<>(names).size());
        assertEquals("compact", Topics.POLICY.cleanupPolicy());
        assertEquals("compact", Topics.SCHEMAS.cleanupPolicy());
        assertEquals("delete", Topics.CANDIDATES.cleanupPolicy());
        assertEquals(1, Topics.SCHEMAS.partitions());
        NewTopic topic = Topics.POLICY.newTopic(org.ddpp.schemas.Replication.of(3, 2));
        assertEquals("compact", topic.configs().get("cleanup.policy"));
        assertEquals("2", topic.configs().get("min.insync.replicas"));
        assertEquals(3, topic.replicationFactor());
        assertEquals(Topics.DLQ, Topics.byName("ddpp.dlq"));
        assertThrows(IllegalArgumentException.class, () -> Topics.byName("nope"));
    }

    @Test
    void everyAvroFieldHasADocAndTimestampsAreLogicalTypes() {
        for (TopicSpec<?, ?> spec : Topics.all()) {
            if (!SpecificRecord.class.isAssignableFrom(spec.valueType())) {
                continue;
            }
            Schema schema = SpecificData.get().getSchema(spec.valueType());
            assertNotNull(schema.getDoc(), schema.getFullName());
            checkFields(schema);
        }
    }

    private static void checkFields(Schema record) {
        for (Schema.Field field : record.getFields()) {
            assertNotNull(field.doc(), record.getName() + "." + field.name() + " has no doc");
            assertFalse(field.doc().isBlank());
            Schema type = field.schema();
            if (field.name().endsWith("At")) {
                assertTrue(type.getLogicalType() instanceof LogicalTypes.TimestampMillis, field.name());
            }
            if (type.getType() == Schema.Type.RECORD) {
                checkFields(type);
            }
            if (type.getType() == Schema.Type.ARRAY && type.getElementType().getType() == Schema.Type.RECORD) {
                checkFields(type.getElementType());
            }
        }
    }
}
