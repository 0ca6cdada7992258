package org.replyensemble.support.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailboxesTest {

    @ParameterizedTest
    @CsvSource({
            "victim@example.org, victim@example.org",
            "Victim@Example.ORG, victim@example.org",
            "'  victim+1@example.org ', victim@example.org",
            "victim+news+2@example.org, victim@example.org",
            "+only-tag@example.org, +only-tag@example.org",
            "\"odd@local\"+x@example.org, \"odd@local\"@example.org",
            "v.ic.tim+spam@gmail.com, victim@gmail.com",
            "Victim@GoogleMail.com, victim@gmail.com",
            "v.ictim@example.org, v.ictim@example.org" })
    void plusTagsCaseAndGmailDotsLeadToOneMailbox(String address, String mailbox) {
        assertThat(Mailboxes.of(address)).isEqualTo(mailbox);
    }
}
