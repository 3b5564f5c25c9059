package org.ddpp.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several hosts on one machine, for multi-host tests without containers: one Linux network namespace per host
 * (Debian {@code iproute2}), each with its own address on a bridge in this machine's namespace, which gets the
 * subnet's first address so this process reaches every host. A host's link can be cut and restored, and
 * {@link #command} runs a program inside a host. Needs root (or CAP_NET_ADMIN); {@link #unavailable()} says in one
 * line why not where it cannot be created. Names carry a random tag, so parallel runs do not meet, and
 * {@link #close()} removes everything it made (the processes inside are the caller's to stop first).
 */
public final class NetworkNamespaces implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespaces.class);

    private final String tag;
    private final String bridge;
    private final String subnet;
    private final Map<String, Integer> hosts = new LinkedHashMap<>();
    private boolean closed;

    private NetworkNamespaces(String tag, String subnet) {
        this.tag = tag;
        this.bridge = "ddppbr" + tag;
        this.subnet = subnet;
    }

    /** Creates the bridge and one namespace per name in {@code hostNames} (addresses .2, .3, … in order). */
    public static NetworkNamespaces create(List<String> hostNames) throws IOException {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        String subnet = "10.213." + ThreadLocalRandom.current().nextInt(1, 255);
        NetworkNamespaces n = new NetworkNamespaces(tag, subnet);
        try {
            n.ip("link", "add", n.bridge, "type", "bridge");
            n.ip("addr", "add", subnet + ".1/24", "dev", n.bridge);
            n.ip("link", "set", n.bridge, "up");
            int next = 2;
            for (String host : hostNames) {
                n.add(host, next++);
            }
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        LOG.info("network namespaces {} on {}.0/24: {}", tag, subnet, n.hosts.keySet());
        return n;
    }

    /** Null when namespaces can be made here; otherwise one line saying why not. */
    public static String unavailable() {
        try {
            create(List.of("probe")).close();
            return null;
        } catch (IOException | RuntimeException e) {
            return "network namespaces cannot be created here (needs root and iproute2): " + e.getMessage();
        }
    }

    private void add(String host, int index) throws IOException {
        if (!host.matches("[a-z0-9]{1,6}")) {
            throw new IllegalArgumentException("host names are 1-6 lower-case letters or digits, got '" + host + "'");
        }
        String ns = namespace(host);
        String outside = "vd" + tag + host;
        ip("netns", "add", ns);
        hosts.put(host, index);
        ip("link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("link", "set", outside, "master", bridge);
        ip("link", "set", outside, "up");
        ip("-n", ns, "addr", "add", address(host) + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "link", "set", "lo", "up");
    }

    /** The namespace's name for {@code host}. */
    public String namespace(String host) {
        return "ddpp" + tag + "-" + host;
    }

    /** The address of {@code host} (reachable from this process and from every other host). */
    public String address(String host) {
        Integer index = hosts.get(host);
        if (index == null) {
            throw new IllegalArgumentException("no host '" + host + "' in " + hosts.keySet());
        }
        return subnet + "." + index;
    }

    /** {@code command} prefixed so that it runs inside {@code host}'s namespace. */
    public List<String> command(String host, List<String> command) {
        address(host);
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
        out.addAll(command);
        return out;
    }

    /** Takes {@code host}'s link down: nothing reaches it and it reaches nothing, its processes keep running. */
    public void cut(String host) throws IOException {
        ip("-n", namespace(host), "link", "set", "eth0", "down");
        LOG.info("link of {} ({}) cut", host, address(host));
    }

    /** Brings {@code host}'s link back. */
    public void restore(String host) throws IOException {
        ip("-n", namespace(host), "link", "set", "eth0", "up");
        LOG.info("link of {} ({}) restored", host, address(host));
    }

    private void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** Deletes the namespaces (their veth ends go with them) and the bridge. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String host : hosts.keySet()) {
            quietly("netns", "delete", namespace(host));
        }
        quietly("link", "delete", bridge);
    }

    private void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException e) {
            LOG.warn("cleanup: {}", e.getMessage());
        }
    }
}
