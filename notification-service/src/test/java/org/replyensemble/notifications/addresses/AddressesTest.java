package org.replyensemble.notifications.addresses;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void normalizesByTrimmingAndLowerCasing() {
        assertThat(Addresses.normalize("  Paul@Example.ORG \t")).isEqualTo("paul@example.org");
    }

    @Test
    void masksAllButTheFirstLetterOfTheLocalPart() {
        assertThat(Addresses.mask("Paul@example.org")).isEqualTo("p***@example.org");
        assertThat(Addresses.mask("not-an-address")).isEqualTo("***");
    }

    @Test
    void masksAddressesInsideErrorMessages() {
        assertThat(Addresses.maskWithin("550 5.1.1 <paul@example.org>: Recipient address rejected; cc ann.b@x.io"))
                .isEqualTo("550 5.1.1 <p***@example.org>: Recipient address rejected; cc a***@x.io");
    }
}
