package org.replyensemble.bench.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;

class EnsembleApiTest {

    /** Tomcat's own default internal proxies: an address among them would be skipped as a proxy. */
    private static final Pattern TOMCAT_INTERNAL_PROXIES = Pattern.compile(new RemoteIpValve().getInternalProxies());
    private static final Pattern BENCHMARK_RANGE = Pattern.compile("198\\.1[89]\\.(\\d{1,3})\\.(\\d{1,3})");

    @Test
    void theRateScenariosWritersCommentFromAddressesOfTheirOwnInTheBenchmarkingRange() {
        // the comment-to-inbox scenario's 150 readers (Discussions: 50 threads of 3)
        Set<String> addresses = new HashSet<>();
        IntStream.range(0, 50).forEach(t -> IntStream.range(0, 3).forEach(p -> {
            String address = EnsembleApi.clientAddress(new Person("Reader " + p + " of " + t, "reader-" + p + "-" + t + "@bench.test"));
            var octets = BENCHMARK_RANGE.matcher(address);
            assertThat(octets.matches()).as(address).isTrue();
            assertThat(Integer.parseInt(octets.group(1))).isLessThanOrEqualTo(255);
            assertThat(Integer.parseInt(octets.group(2))).isLessThanOrEqualTo(255);
            assertThat(TOMCAT_INTERNAL_PROXIES.matcher(address).matches()).as(address).isFalse();
            addresses.add(address);
        }));
        // a few may share one, as households do; nearly all must differ or the buckets are not spread
        assertThat(addresses).hasSizeGreaterThan(145);
        assertThat(EnsembleApi.clientAddress(new Person("Reader 0 of 0", "reader-0-0@bench.test")))
                .isEqualTo(EnsembleApi.clientAddress(new Person("Someone else", "reader-0-0@bench.test")));
    }
}
