-- Erasure of a person (issue 10). The suppression list: the subjects (HMAC-SHA256 of the address
-- under ensemble.erasure.key, the key of blog.erasures.v1) of every erased address, never the
-- address. Checked when an event brings an address in (it is stored as the placeholder below
-- instead) and again before any email is sent. Kept for ever: retention must not forget an erasure.
create table erased_subject (
    subject   text        primary key,
    erased_at timestamptz not null default now()
);

-- The placeholder that stands where an erased person's address was (thread authors, comment
-- authors): suppressed, so it is never mailed whatever an event says about it.
alter table address drop constraint address_suppression_reason_check;
alter table address add constraint address_suppression_reason_check
    check (suppression_reason in ('HARD_BOUNCE', 'OPERATOR', 'ERASED'));
alter table mailbox drop constraint mailbox_suppression_reason_check;
alter table mailbox add constraint mailbox_suppression_reason_check
    check (suppression_reason in ('NOT_ME', 'OPERATOR', 'ERASED'));
insert into mailbox (mailbox, suppressed_at, suppression_reason) values ('erased@erased.example.org', now(), 'ERASED')
on conflict (mailbox) do update set suppressed_at = now(), suppression_reason = 'ERASED';
insert into address (email, mailbox, greeting_name, suppressed_at, suppression_reason)
values ('erased@erased.example.org', 'erased@erased.example.org', 'A reader', now(), 'ERASED')
on conflict (email) do update set suppressed_at = now(), suppression_reason = 'ERASED';

-- Finding an erased address's rows without reading whole tables.
create index thread_author_email on thread (author_email);
create index delivery_recipient on delivery (recipient_email);
create index thread_participant_email on thread_participant (email);
