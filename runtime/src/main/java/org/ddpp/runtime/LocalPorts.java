package org.ddpp.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The one check that a fixed local port is free, shared by the servers ddpp starts itself (the embedded broker, the
 * schema registry), so that a taken port fails with one readable line before the server fails with a stack trace.
 */
public final class LocalPorts {

    private LocalPorts() {}

    /** Returns {@code port} when {@code host:port} can be bound; otherwise an IllegalArgumentException naming it. */
    public static int requireFree(String host, int port) {
        IOException refused = tryBind(host, port);
        if (refused != null) {
            throw new IllegalArgumentException(host + ":" + port + " is not available (" + refused.getMessage() + ")");
        }
        return port;
    }

    /** True when {@code host:port} can be bound right now. */
    public static boolean isFree(String host, int port) {
        return tryBind(host, port) == null;
    }

    private static IOException tryBind(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
