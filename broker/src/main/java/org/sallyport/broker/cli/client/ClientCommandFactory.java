package org.sallyport.broker.cli.client;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * picocli factory that hands the {@link CliEnvironment} to every client command (constructor taking one
 * {@code CliEnvironment}); everything else is built by picocli's default factory.
 */
public final class ClientCommandFactory implements CommandLine.IFactory {
    private final CliEnvironment environment;

    public ClientCommandFactory(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        Constructor<K> withEnvironment;
        try {
            withEnvironment = cls.getConstructor(CliEnvironment.class);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(cls);
        }
        return withEnvironment.newInstance(environment);
    }
}
