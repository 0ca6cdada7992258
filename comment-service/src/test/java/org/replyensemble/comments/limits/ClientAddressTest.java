package org.replyensemble.comments.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void anIpv4AddressIsItself() {
        assertThat(ClientAddress.of("203.0.113.7", 64)).isEqualTo("v4:203.0.113.7");
        assertThat(ClientAddress.of("::ffff:203.0.113.7", 64)).as("IPv4-mapped").isEqualTo("v4:203.0.113.7");
    }

    @Test
    void anIpv6AddressCountsByItsNetwork() {
        String first = ClientAddress.of("2001:db8:1:2::1", 64);
        assertThat(ClientAddress.of("2001:db8:1:2:ffff:ffff:ffff:ffff", 64)).isEqualTo(first);
        assertThat(ClientAddress.of("2001:0db8:0001:0002:0000:0000:0000:0042", 64)).isEqualTo(first);
        assertThat(ClientAddress.of("2001:db8:1:3::1", 64)).isNotEqualTo(first);
        assertThat(ClientAddress.of("2001:db8:1:2::1", 128)).isNotEqualTo(ClientAddress.of("2001:db8:1:2::2", 128));
        assertThat(ClientAddress.of("2001:db8:1:2::1", 56)).isEqualTo(ClientAddress.of("2001:db8:1:ff::1", 56));
    }

    @Test
    void somethingThatIsNoAddressIsNeverLookedUp() {
        assertThat(ClientAddress.of("unknown", 64)).isEqualTo("other:unknown");
        assertThat(ClientAddress.of("example.org", 64)).isEqualTo("other:example.org");
        assertThat(ClientAddress.of("abc.de", 64)).isEqualTo("other:abc.de");
        assertThat(ClientAddress.of(null, 64)).isEqualTo("other:null");
    }
}
