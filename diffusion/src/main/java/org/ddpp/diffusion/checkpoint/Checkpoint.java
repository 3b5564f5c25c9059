package org.ddpp.diffusion.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import ai.djl.ndarray.NDManager;
import org.ddpp.diffusion.model.LogPartition;
import org.ddpp.diffusion.model.Mdm;
import org.ddpp.diffusion.task.Task;
import org.ddpp.diffusion.task.Tasks;
import org.ddpp.diffusion.train.AdamOptimizer;
import org.ddpp.diffusion.train.DdppLearner;

/**
 * A checkpoint directory: {@code manifest.json} plus {@code policy.params} and, when present,
 * {@code reference.params}, {@code logz.params} and optimiser states. Written beside the current one (every file
 * and the directory fsynced), then switched in with atomic renames; the checkpoint it replaces stays as
 * {@code <dir>.previous}, so {@link #openLatest} can fall back to it when a crash hit between the renames or the
 * current one is corrupt. On open every file's sha256 is checked against the manifest. Loading a checkpoint into
 * fresh networks reproduces their outputs bit-for-bit.
 */
public final class Checkpoint {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Checkpoint.class);

    public static final String MANIFEST = "manifest.json";
    public static final String POLICY = "policy.params";
    public static final String REFERENCE = "reference.params";
    public static final String LOG_PARTITION = "logz.params";
    public static final String POLICY_OPTIMIZER = "optimizer-policy.bin";
    public static final String LOG_PARTITION_OPTIMIZER = "optimizer-logz.bin";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final CheckpointManifest manifest;
    private final Task task;

    private Checkpoint(Path dir, CheckpointManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
        this.task = Tasks.byName(manifest.task());
    }

    /** Where the checkpoint that {@code dir} replaced is kept: {@code <dir>.previous}. */
    public static Path previous(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".previous");
    }

    /** True when {@code dir} or its previous generation holds a checkpoint manifest. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST)) || Files.isRegularFile(previous(dir).resolve(MANIFEST));
    }

    /**
     * The newest good checkpoint at {@code dir}: {@code dir} itself, or — when it is missing (a crash between the
     * renames of a write) or fails verification (corrupt) — the previous generation, with a log line saying so.
     * Empty when neither exists; the current one's error when it is corrupt and there is no good previous one.
     */
    public static java.util.Optional<Checkpoint> openLatest(Path dir) throws IOException {
        IOException current = null;
        if (Files.isRegularFile(dir.resolve(MANIFEST))) {
            try {
                return java.util.Optional.of(open(dir));
            } catch (IOException | RuntimeException e) {
                current = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
        Path previous = previous(dir);
        if (!Files.isRegularFile(previous.resolve(MANIFEST))) {
            if (current != null) {
                throw current;
            }
            return java.util.Optional.empty();
        }
        try {
            Checkpoint fallback = open(previous);
            LOG.warn("checkpoint {} is {}; using the previous one, {} (step {})", dir,
                    current == null ? "missing" : "unusable (" + current.getMessage() + ")", previous,
                    fallback.manifest().step());
            return java.util.Optional.of(fallback);
        } catch (IOException | RuntimeException e) {
            if (current != null) {
                current.addSuppressed(e);
                throw current;
            }
            throw e;
        }
    }

    /** Opens and verifies a checkpoint directory. */
    public static Checkpoint open(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new NoSuchFileException("no checkpoint at " + dir + " (missing " + MANIFEST + ")");
        }
        CheckpointManifest manifest = JSON.readValue(manifestFile.toFile(), CheckpointManifest.class);
        if (manifest.format() != CheckpointManifest.FORMAT) {
            throw new IOException("unsupported checkpoint format " + manifest.format() + " in " + dir);
        }
        for (Map.Entry<String, String> file : manifest.files().entrySet()) {
            String actual = sha256(dir.resolve(file.getKey()));
            if (!actual.equals(file.getValue())) {
                throw new IOException("checkpoint file " + dir.resolve(file.getKey()) + " has sha256 " + actual + ", manifest says " + file.getValue());
            }
        }
        return new Checkpoint(dir, manifest);
    }

    public CheckpointManifest manifest() {
        return manifest;
    }

    public Task task() {
        return task;
    }

    public Path directory() {
        return dir;
    }

    public boolean has(String file) {
        return manifest.files().containsKey(file);
    }

    /** A new model holding the saved policy weights. */
    public Mdm loadPolicy(NDManager parent) throws IOException {
        return loadModel(POLICY, parent);
    }

    /** A new model holding the saved reference weights (the policy's, for a pre-training checkpoint). */
    public Mdm loadReference(NDManager parent) throws IOException {
        return loadModel(has(REFERENCE) ? REFERENCE : POLICY, parent);
    }

    /** Overwrites {@code model}'s weights with the saved policy (same architecture required). */
    public void restorePolicy(Mdm model) throws IOException {
        try (DataInputStream in = input(POLICY)) {
            ParameterIO.load(model.block(), in, model.manager());
        }
    }

    private Mdm loadModel(String file, NDManager parent) throws IOException {
        Mdm model = Mdm.create(task, manifest.policy(), 0L, parent);
        try (DataInputStream in = input(file)) {
            ParameterIO.load(model.block(), in, model.manager());
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** A new log-Z network with the saved weights, or null when the checkpoint has none. */
    public LogPartition loadLogPartition(NDManager parent) throws IOException {
        if (!has(LOG_PARTITION)) {
            return null;
        }
        LogPartition lp = LogPartition.create(task, manifest.logPartition(), 0L, parent);
        try (DataInputStream in = input(LOG_PARTITION)) {
            ParameterIO.load(lp.block(), in, parent);
        }
        return lp;
    }

    /** Restores a learner's optimiser states and step counter when the checkpoint has them. */
    public void restoreLearner(DdppLearner learner) throws IOException {
        if (has(POLICY_OPTIMIZER) && has(LOG_PARTITION_OPTIMIZER)) {
            try (DataInputStream p = input(POLICY_OPTIMIZER);
                    DataInputStream z = input(LOG_PARTITION_OPTIMIZER)) {
                learner.loadOptimizers(p, z);
            }
        }
        learner.setStepCount(manifest.step());
    }

    /** Restores a single optimiser saved under {@code file}. */
    public void restoreOptimizer(String file, AdamOptimizer optimizer) throws IOException {
        try (DataInputStream in = input(file)) {
            optimizer.load(in);
        }
    }

    private DataInputStream input(String file) throws IOException {
        if (!has(file)) {
            throw new NoSuchFileException("checkpoint " + dir + " has no " + file);
        }
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(file))));
    }

    /** Starts writing a checkpoint of {@code task} into {@code dir}. */
    public static Writer writer(Path dir, Task task) {
        return new Writer(dir, task);
    }

    /** Collects the parts of a checkpoint; {@code set*} are required, {@code opt*} optional. */
    public static final class Writer {
        private final Path dir;
        private final Task task;
        private Mdm policy;
        private Mdm reference;
        private LogPartition logPartition;
        private AdamOptimizer policyOptimizer;
        private DdppLearner learner;
        private long step;
        private long policyVersion;
        private final Map<String, String> extra = new TreeMap<>();

        private Writer(Path dir, Task task) {
            this.dir = dir;
            this.task = task;
        }

        public Writer setPolicy(Mdm v) {
            policy = v;
            return this;
        }

        public Writer optReference(Mdm v) {
            reference = v;
            return this;
        }

        public Writer optLogPartition(LogPartition v) {
            logPartition = v;
            return this;
        }

        /** The pre-training optimiser (a fine-tune passes its learner instead). */
        public Writer optPolicyOptimizer(AdamOptimizer v) {
            policyOptimizer = v;
            return this;
        }

        /** A learner: writes both of its optimisers. */
        public Writer optLearner(DdppLearner v) {
            learner = v;
            return this;
        }

        public Writer optStep(long v) {
            step = v;
            return this;
        }

        public Writer optPolicyVersion(long v) {
            policyVersion = v;
            return this;
        }

        public Writer optExtra(String key, String value) {
            extra.put(key, value);
            return this;
        }

        /** Writes everything and atomically moves it into place; returns the opened checkpoint. */
        public Checkpoint write() throws IOException {
            if (policy == null) {
                throw new IllegalStateException("a checkpoint needs a policy");
            }
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp");
            Map<String, String> files = new LinkedHashMap<>();
            writeFile(tmp, POLICY, files, out -> ParameterIO.save(policy.block(), out));
            if (reference != null) {
                writeFile(tmp, REFERENCE, files, out -> ParameterIO.save(reference.block(), out));
            }
            if (logPartition != null) {
                writeFile(tmp, LOG_PARTITION, files, out -> ParameterIO.save(logPartition.block(), out));
            }
            if (learner != null) {
                java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
                java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
                try (DataOutputStream po = new DataOutputStream(p);
                        DataOutputStream zo = new DataOutputStream(z)) {
                    learner.saveOptimizers(po, zo);
                }
                writeFile(tmp, POLICY_OPTIMIZER, files, out -> out.write(p.toByteArray()));
                writeFile(tmp, LOG_PARTITION_OPTIMIZER, files, out -> out.write(z.toByteArray()));
            } else if (policyOptimizer != null) {
                writeFile(tmp, POLICY_OPTIMIZER, files, policyOptimizer::save);
            }
            CheckpointManifest manifest = new CheckpointManifest(
                    CheckpointManifest.FORMAT,
                    task.name(),
                    task.vocabSize(),
                    task.length(),
                    policy.shape(),
                    logPartition == null ? null : logPartition.shape(),
                    step,
                    policyVersion,
                    Instant.now().toString(),
                    extra.isEmpty() ? null : Map.copyOf(extra),
                    files);
            JSON.writeValue(tmp.resolve(MANIFEST).toFile(), manifest);
            fsync(tmp.resolve(MANIFEST));
            fsync(tmp);
            replace(tmp, dir);
            return open(dir);
        }

        /**
         * Switches the fsynced {@code tmp} in as {@code dir}, keeping the current checkpoint as its previous
         * generation. Each rename is atomic and made durable (the parent directory is fsynced), so after a crash at
         * any moment {@code dir} or {@code dir.previous} holds a complete, verifiable checkpoint.
         */
        private static void replace(Path tmp, Path dir) throws IOException {
            Path parent = dir.toAbsolutePath().getParent();
            Path previous = previous(dir);
            if (Files.exists(dir)) {
                deleteRecursively(previous);
                Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
                fsync(parent);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            fsync(parent);
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void writeFile(Path dir, String name, Map<String, String> files, Body body) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
            body.write(out);
        }
        fsync(file);
        files.put(name, sha256(file));
    }

    /** Forces a file's or a directory's content and metadata to the disk (directories: the entries in it). */
    static void fsync(Path path) throws IOException {
        boolean directory = Files.isDirectory(path);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path,
                directory ? java.nio.file.StandardOpenOption.READ : java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
            // some file systems cannot open a directory for fsync; the renames are still atomic there
        }
    }

    /** Hex sha256 of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                digest.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
