package io.backstream.trainer.cli.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A stand-in service for the supervision tests: a tiny JVM that answers 200 on
 * {@code /q/health/ready} on {@code -Dquarkus.http.port}, as a Quarkus service does, and writes
 * {@code ready-server <pid> starting on <port>} to its output (the service's log) first.
 */
public final class ReadyServer {
    public static void main(String[] args) throws IOException {
        int port = Integer.getInteger("quarkus.http.port");
        System.out.println("ready-server " + ProcessHandle.current().pid() + " starting on " + port);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** Writes a runnable jar of this class to {@code file}, for {@link ServiceProcess} to start with {@code java -jar}. */
    static Path jar(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ReadyServer.class.getName());
        String entry = ReadyServer.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, manifest);
                InputStream bytes = ReadyServer.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            bytes.transferTo(jar);
            jar.closeEntry();
        }
        return file;
    }
}
