package org.sallyport.broker.cli.client;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --ca}, shared by every command that talks to a broker. */
public final class ConnectionOptions {
    public static final String ENV_URL = "SALLYPORT_URL";
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", paramLabel = "URL",
            description = "Broker address, e.g. https://broker.example:8443 (default: the one you logged in to, else $"
                    + ENV_URL + ", else " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "PEM file of the CA that signed the broker's TLS certificate; only that CA is then trusted"
                    + " (default: the one given at login, else the JDK's trusted CAs).")
    Path caFile;
}
