package org.graphkit.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Neo4j Community 5 in this process, Bolt on 127.0.0.1 only, authentication on.
 *
 * <p>Usage: {@code java -cp CLASSPATH org.graphkit.neo4j.Server --home DIR --uri-file FILE
 * [--port N] [--plugins DIR] [--conf FILE] [--pagecache BYTES]}. The user and password come from
 * {@code NEO4J_USER} (default {@code neo4j}) and {@code NEO4J_PASSWORD} (required, 8 characters or
 * more, as Neo4j 5 asks). Port 0 (the default) lets the operating system choose a free port.
 *
 * <p>Once Bolt answers a handshake, the line {@code NEO4J_URI=neo4j://127.0.0.1:PORT} is written to
 * the uri file (atomically, so a reader never sees half a line) and to standard output. The server
 * runs until the process is stopped (SIGTERM or SIGINT shut the databases down cleanly).
 */
public final class Server {

    private Server() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path uriFile = null;
        Path plugins = null;
        Path conf = null;
        int port = 0;
        long pagecache = 512L * 1024 * 1024;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--home" -> { home = Path.of(need(a, v)); i++; }
                case "--uri-file" -> { uriFile = Path.of(need(a, v)); i++; }
                case "--plugins" -> { plugins = Path.of(need(a, v)); i++; }
                case "--conf" -> { conf = Path.of(need(a, v)); i++; }
                case "--port" -> { port = Integer.parseInt(need(a, v)); i++; }
                case "--pagecache" -> { pagecache = Long.parseLong(need(a, v)); i++; }
                default -> fail("unknown argument " + a);
            }
        }
        if (home == null || uriFile == null) {
            fail("--home DIR and --uri-file FILE are required");
        }
        String user = envOr("NEO4J_USER", "neo4j");
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            fail("NEO4J_PASSWORD must be set, 8 characters or more");
        }
        if (!user.matches("[A-Za-z][A-Za-z0-9_]*")) {
            fail("NEO4J_USER must be letters, digits and _ only");
        }
        Files.createDirectories(home);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (conf != null) {
            builder.loadPropertiesFromFile(conf);
        }
        builder.setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
                // a stop waited 5 s twice after the databases had stopped: Bolt's Netty event loops idle for a
                // quiet period (default 5 s) before they end; the databases are shut down by then, so none
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5));
        if (plugins != null) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins.toAbsolutePath())
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
        }
        long t0 = System.nanoTime();
        DatabaseManagementService dbms = builder.build();
        log("databases started in %.1f s", t0);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "graphkit-neo4j-shutdown"));

        try {
            ready(dbms, user, password, uriFile);
        } catch (Throwable e) {
            // the databases' threads would keep this process alive and the caller waiting for a URI that never
            // comes: say why, shut down and exit (the shutdown hook runs dbms.shutdown)
            e.printStackTrace();
            fail("not started: " + e);
        }
        stopped.await();
    }

    /** Set the user's password, check Bolt answers, then publish the URI. */
    private static void ready(DatabaseManagementService dbms, String user, String password, Path uriFile)
            throws IOException {
        long t1 = System.nanoTime();
        setUser(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), user, password);
        log("password of user " + user + " set in %.1f s", t1);

        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        HostnamePort bolt = db.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (bolt == null) {
            throw new IOException("the Bolt connector did not register a port");
        }
        handshake(bolt.getPort());
        String line = "NEO4J_URI=neo4j://127.0.0.1:" + bolt.getPort();
        Path tmp = uriFile.resolveSibling(uriFile.getFileName() + ".tmp");
        Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, uriFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println(line);
        System.out.flush();
    }

    /**
     * The user gets the password with no change required; another name than neo4j is created. A data folder
     * started before (--data DIR) may hold that password already: Neo4j refuses to "change" a password to
     * itself, which here means there is nothing to do.
     */
    private static void setUser(GraphDatabaseService system, String user, String password) {
        Map<String, Object> params = Map.of("password", password);
        if (!user.equals("neo4j")) {
            system.executeTransactionally(
                    "CREATE USER " + user + " IF NOT EXISTS SET PASSWORD $password CHANGE NOT REQUIRED", params);
        }
        try {
            system.executeTransactionally(
                    "ALTER USER " + user + " SET PASSWORD $password CHANGE NOT REQUIRED", params);
        } catch (QueryExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    /** A Bolt handshake on the port: the server must answer with a version it speaks. */
    private static void handshake(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            // magic preamble, then four proposed versions (5.x ranges, 4.4), as the drivers send
            byte[] hello = {
                (byte) 0x60, (byte) 0x60, (byte) 0xB0, (byte) 0x17,
                0, 8, 8, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0,
            };
            out.write(hello);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(4);
            if (answer.length != 4 || (answer[2] == 0 && answer[3] == 0)) {
                throw new IOException("Bolt on port " + port + " did not agree on a protocol version");
            }
        }
    }

    private static void log(String format, long since) {
        System.err.println("graphkit neo4j server: " + String.format(format, (System.nanoTime() - since) / 1e9));
    }

    private static String need(String flag, String value) {
        if (value == null) {
            fail(flag + " needs a value");
        }
        return value;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static void fail(String message) {
        System.err.println("graphkit neo4j server: " + message);
        System.exit(2);
    }
}
