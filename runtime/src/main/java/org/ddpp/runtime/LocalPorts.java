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
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return port;
        } catch (IOException e) {
            throw new IllegalArgumentException(host + ":" + port + " is not available (" + e.getMessage() + ")");
        }
    }
}
