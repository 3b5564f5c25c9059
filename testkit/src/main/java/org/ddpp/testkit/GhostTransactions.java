package org.ddpp.testkit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Makes a <em>hanging transaction</em> on purpose, for the tests of what repairs one: it writes a transactional
 * record batch straight to a partition's leader with a Produce request, without the coordinator ever hearing of
 * the partition, so no commit or abort marker will follow it and read_committed readers stop there. Kafka's
 * partition verification (KIP-890) refuses exactly this, so the broker must run with
 * {@link #BROKER_PROPERTY}{@code =false}; a test that needs it starts its own broker.
 */
public final class GhostTransactions {

    /** The broker property that must be {@code false} for a ghost transaction to be accepted. */
    public static final String BROKER_PROPERTY = "transaction.partition.verification.enable";

    /** Produce v11: topics by name, the last version before the coordinator adds partitions on the client's behalf. */
    private static final short PRODUCE_VERSION = 11;

    private GhostTransactions() {
    }

    /**
     * Writes one transactional record on {@code partition} (which {@code leader}, {@code host:port}, leads) as
     * producer {@code producerId} with {@code epoch}, under {@code transactionalId}; returns its offset.
     */
    public static long open(String leader, TopicPartition partition, String transactionalId, long producerId, short epoch)
            throws IOException {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, 0,
                new SimpleRecord("ghost".getBytes(StandardCharsets.UTF_8), "ghost".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTransactionalId(transactionalId);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(partition.topic());
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition.partition()).setRecords(records));
        data.topicData().add(topic);
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "ddpp-ghost-transactions", 1);
        ByteBuffer request = new ProduceRequest(data, PRODUCE_VERSION).serializeWithHeader(header);
        int colon = leader.lastIndexOf(':');
        try (Socket socket = new Socket(leader.substring(0, colon), Integer.parseInt(leader.substring(colon + 1)))) {
            socket.setSoTimeout(15_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.remaining());
            out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            ProduceResponse response = (ProduceResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
            var answer = response.data().responses().iterator().next().partitionResponses().get(0);
            Errors error = Errors.forCode(answer.errorCode());
            if (error != Errors.NONE) {
                throw new IOException("the broker refused the ghost transaction on " + partition + ": " + error
                        + " (is " + BROKER_PROPERTY + "=false?)");
            }
            return answer.baseOffset();
        }
    }
}
