package org.sallyport.broker.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.config.ConfigLoader;
import org.sallyport.broker.server.Broker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sallyport serve --config FILE}: the production broker. Never loads simulation code. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the broker from a YAML configuration file.",
                "Environment overrides: SALLYPORT_DATA_DIR, SALLYPORT_HTTP_HOST, SALLYPORT_HTTP_PORT, SALLYPORT_SSH_HOST,",
                "SALLYPORT_SSH_PORT, SALLYPORT_DATABASE_URL, SALLYPORT_DATABASE_USER, SALLYPORT_DATABASE_PASSWORD."})
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "broker configuration (YAML)")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        BrokerConfig cfg = ConfigLoader.load(config, System.getenv());
        return runUntilStopped(Broker.start(cfg, Clock.systemUTC()));
    }

    /** Keeps the broker up until SIGTERM/SIGINT, then stops it cleanly (final signed checkpoint). */
    static int runUntilStopped(Broker broker) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "sallyport-shutdown"));
        stopped.await();
        return 0;
    }
}
