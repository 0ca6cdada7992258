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

    @Test
    void theMailboxOfAnAddressIgnoresPlusTagsAndCase() {
        assertThat(Addresses.mailboxOf("Victim+1@X.org")).isEqualTo("victim@x.org");
        assertThat(Addresses.mailboxOf("victim+a+b@x.org")).isEqualTo("victim@x.org");
        assertThat(Addresses.mailboxOf(" victim@x.org ")).isEqualTo("victim@x.org");
        assertThat(Addresses.mailboxOf("first.last@x.org")).as("dots matter outside Gmail").isEqualTo("first.last@x.org");
        assertThat(Addresses.mailboxOf("+tag@x.org")).isEqualTo("+tag@x.org");
    }

    @Test
    void gmailIgnoresDotsAndKnowsItsOtherDomain() {
        assertThat(Addresses.mailboxOf("v.ic.tim+spam@gmail.com")).isEqualTo("victim@gmail.com");
        assertThat(Addresses.mailboxOf("Victim@GoogleMail.com")).isEqualTo("victim@gmail.com");
    }
}
