package org.ddpp.scorers.joiner;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Puts every RocksDB store of the joiner's process under one memory bound. By default Kafka Streams gives each
 * store its own 50 MB block cache and up to three 16 MB write buffers, so the joiner's native memory grows with the
 * number of stores it has open, and every rebalance that closes and reopens its tasks allocates all of it again (the
 * 60-minute soak measured +154 MB of RSS after one fence, with the heap flat). Here all stores share one block
 * cache, and their write buffers are charged to that cache through one {@link WriteBufferManager}; index and filter
 * blocks live in the cache too. The cache outlives the stores, so reopened stores reuse it instead of adding to it.
 *
 * <p>The bound is read from the Streams configuration ({@link #MEMORY_BYTES_CONFIG}), set by
 * {@link RewardJoiner#streamsProperties}; one cache exists per distinct bound in a process.
 */
public final class BoundedStateMemory implements RocksDBConfigSetter {

    /** Streams configuration key of the bound, in bytes (the joiner's {@code --state-memory-mb}). */
    public static final String MEMORY_BYTES_CONFIG = "ddpp.joiner.state.memory.bytes";

    /** Share of the bound the write buffers (memtables) may take before RocksDB flushes them. */
    static final double WRITE_BUFFER_SHARE = 0.5;

    /** Share of the cache kept for index and filter blocks (high priority), as RocksDB's own guidance suggests. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    /** Per-store memtable size: small stores of small records, flushed early rather than holding 16 MB each. */
    private static final long MAX_WRITE_BUFFER_BYTES = 4L << 20;

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {}

    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long bytes = bound(configs);
        Shared shared = SHARED.computeIfAbsent(bytes, b -> {
            Cache cache = new LRUCache(b, -1, false, HIGH_PRIORITY_SHARE);
            return new Shared(cache, new WriteBufferManager((long) (b * WRITE_BUFFER_SHARE), cache));
        });
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
        options.setWriteBufferSize(Math.min(MAX_WRITE_BUFFER_BYTES, Math.max(1L << 20, (long) (bytes * WRITE_BUFFER_SHARE / 8))));
        options.setMaxWriteBufferNumber(2);
    }

    /** The bound configured for this process's stores. */
    static long bound(Map<String, Object> configs) {
        Object v = configs.get(MEMORY_BYTES_CONFIG);
        if (v == null) {
            return JoinerSettings.STATE_MEMORY_MB.defaultValue() * (1L << 20);
        }
        return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store of the process and outlive each of them
    }
}
