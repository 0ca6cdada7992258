package org.replyensemble.events;

/** A named person with an address. Internal topics only: the address never leaves the back end. */
public record Person(String name, String email) {

    /**
     * What stands where an erased person's address was (a post's author, a comment's author): a
     * valid address in the reserved .invalid domain (RFC 2606), so events stay valid against every
     * released schema (the address is required there) and nothing can ever be delivered to it.
     */
    public static final String ERASED_EMAIL = "erased@erased.invalid";

    public static boolean erased(String email) {
        return email != null && email.strip().toLowerCase(java.util.Locale.ROOT).endsWith("@erased.invalid");
    }
}
