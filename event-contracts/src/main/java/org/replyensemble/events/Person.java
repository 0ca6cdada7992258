package org.replyensemble.events;

/** A named person with an address. Internal topics only: the address never leaves the back end. */
public record Person(String name, String email) {

    /**
     * What stands where an erased person's address was (a post's author, a comment's author): a
     * valid address (events stay valid against every released schema, where the address is required
     * and must pass as an RFC 5321 mailbox) under example.org, the domain IANA reserves for
     * documentation (RFC 2606), which takes no mail. notification-service suppresses it besides.
     */
    public static final String ERASED_EMAIL = "erased@erased.example.org";

    public static boolean erased(String email) {
        return email != null && ERASED_EMAIL.equals(email.strip().toLowerCase(java.util.Locale.ROOT));
    }
}
