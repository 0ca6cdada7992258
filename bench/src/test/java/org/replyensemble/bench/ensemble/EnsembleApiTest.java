package org.replyensemble.bench.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;

class EnsembleApiTest {

    /** Tomcat's default internal proxies (RemoteIpValve): an address among them would be skipped as a proxy. */
    private static final Pattern TOMCAT_INTERNAL_PROXIES = Pattern.compile("10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|"
            + "192\\.168\\.\\d{1,3}\\.\\d{1,3}|169\\.254\\.\\d{1,3}\\.\\d{1,3}|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|"
            + "100\\.6[4-9]{1}\\.\\d{1,3}\\.\\d{1,3}|100\\.[7-9]{1}\\d{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "100\\.1[0-1]{1}\\d{1}\\.\\d{1,3}\\.\\d{1,3}|100\\.12[0-7]{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "172\\.1[6-9]{1}\\.\\d{1,3}\\.\\d{1,3}|172\\.2[0-9]{1}\\.\\d{1,3}\\.\\d{1,3}|172\\.3[0-1]{1}\\.\\d{1,3}\\.\\d{1,3}");
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
