package org.replyensemble.events;

/** A named person with an address. Internal topics only: the address never leaves the back end. */
public record Person(String name, String email) {
}
