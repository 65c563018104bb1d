package org.sallyport.broker.httpproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sallyport.broker.domain.Target;

/** Redirects to the device's own address stay on the browser's origin (the tunnel). */
class SameOriginTest {
    static final Target T = new Target("cam", "site", "ip-camera", "10.20.0.12", 0, 8080, null, "root", "cam/root", Set.of(), Set.of(), 1);
    static final Target T80 = new Target("cam", "site", "ip-camera", "10.20.0.12", 0, 80, null, "root", "cam/root", Set.of(), Set.of(), 1);

    @ParameterizedTest
    @CsvSource({
            "http://10.20.0.12:8080/login.html?next=/, /login.html?next=/",
            "http://10.20.0.12:8080, /",
            "/relative, /relative",
            "http://example.org/x, http://example.org/x",
            "http://10.20.0.120:8080/x, http://10.20.0.120:8080/x"})
    void locations(String in, String out) {
        assertThat(HttpProxyHandler.sameOrigin(in, T)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"http://10.20.0.12/index.html, /index.html", "http://10.20.0.12:80/a, /a"})
    void defaultPort(String in, String out) {
        assertThat(HttpProxyHandler.sameOrigin(in, T80)).isEqualTo(out);
    }
}
