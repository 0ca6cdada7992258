-- Verified addresses (double opt-in), what each owner chose to receive, the per-thread
-- participants the fan-out reads, and the per-recipient daily cap (issue 7).

-- One inbox as far as a stranger can vary an address and still reach it: lower-case, plus-tag
-- removed, and Gmail's dots (Addresses.mailboxOf in Java). The caps on confirmation emails count
-- here, and "this was not me, never email me" holds here, for every variant of the address.
create table mailbox (
    mailbox                  text        primary key,
    confirmation_mails       int         not null default 0, -- ever recorded for its addresses
    unanswered_confirmations int         not null default 0, -- recorded since one of its addresses last confirmed
    last_confirmation_at     timestamptz,
    suppressed_at            timestamptz,
    suppression_reason       text check (suppression_reason in ('NOT_ME', 'OPERATOR')),
    created_at               timestamptz not null default now()
);

-- One row per address the service has seen. An address is mailed only once confirmed_at is set:
-- by its owner through the link in a confirmation email, as a post's author (an account's address,
-- post-service), or by an operator. Only those, or links mailed to the address, change its row;
-- a comment never does (except to create it).
create table address (
    email                text        primary key, -- normalized: trimmed, lower-case
    mailbox              text        not null references mailbox,
    greeting_name        text        not null,    -- the name its emails greet; fixed when it is confirmed
    confirmed_at         timestamptz,
    confirmed_by         text check (confirmed_by in ('LINK', 'POST_AUTHOR', 'OPERATOR')),
    mail_enabled         boolean     not null default true, -- false: unsubscribed from everything
    suppressed_at        timestamptz,
    suppression_reason   text check (suppression_reason in ('HARD_BOUNCE', 'OPERATOR')),
    hard_bounces         int         not null default 0, -- permanent rejections since its last delivered email
    last_hard_bounce_at  timestamptz,
    confirmation_mails   int         not null default 0,
    last_confirmation_at timestamptz,
    created_at           timestamptz not null default now()
);
create index address_by_mailbox on address (mailbox);

-- What an owner chose for one thread; no row = EVERY_REPLY. Written by links only (unsubscribe,
-- later the settings page), and cleared by the owner's own confirmed comment asking for replies.
create table thread_preference (
    email      text        not null,
    post_id    uuid        not null,
    mode       text        not null check (mode in ('EVERY_REPLY', 'DIRECT_REPLIES_ONLY', 'NONE')),
    updated_at timestamptz not null default now(),
    primary key (email, post_id)
);

-- Who took part in a thread: the post's author (position 0) and every commenter, one row per
-- address, maintained by the thread stage in position order, so when comment p is fanned out the
-- table holds exactly the authors of the post and of comments 1..p-1. subscribed: one of their
-- comments (or the authorship) asked for replies; a later comment with notify:false never clears it.
create table thread_participant (
    post_id         uuid    not null,
    email           text    not null,
    first_position  int     not null,
    latest_position int     not null,
    subscribed      boolean not null,
    primary key (post_id, email)
);

-- The per-recipient daily cap: emails counted per address and UTC day, by whichever sender sends.
create table recipient_day (
    email  text not null,
    day    date not null,
    emails int  not null,
    primary key (email, day)
);

alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('PENDING', 'SENT', 'FAILED', 'SUPPRESSED', 'HELD', 'DROPPED', 'SKIPPED'));
alter table delivery drop constraint delivery_reason_check;
alter table delivery add constraint delivery_reason_check
    check (reason in ('DIRECT_REPLY', 'POST_AUTHOR', 'PARTICIPANT', 'CONFIRMATION'));
-- Why a delivery ended as it did when it was not sent (held, dropped, suppressed, skipped, failed at once).
alter table delivery add column status_reason text;
-- The UTC day this delivery was counted towards its recipient's daily cap (counted once, whatever its retries).
alter table delivery add column counted_on date;
-- Released by the recipient's confirmation; dropped, oldest first, once the confirmation's validity has passed.
create index delivery_held_by_recipient on delivery (recipient_email) where status = 'HELD';
create index delivery_held_since on delivery (created_at, id) where status = 'HELD';

-- Existing data. The rule behind Addresses.mailboxOf, for this one backfill (a temporary function).
create function pg_temp.mailbox_of(address text) returns text language sql immutable as $$
    select case
        when position('@' in address) <= 1 then address
        else (
            select case when domain in ('gmail.com', 'googlemail.com')
                        then coalesce(nullif(replace(local, '.', ''), ''), local) || '@gmail.com'
                        else local || '@' || domain end
              from (select case when position('+' in l) > 1 then substr(l, 1, position('+' in l) - 1) else l end as local, d as domain
                      from (select substring(address from '^(.*)@[^@]*$') as l, substring(address from '@([^@]*)$') as d) parts) split)
    end
$$;

insert into mailbox (mailbox)
select distinct pg_temp.mailbox_of(email)
  from (select author_email as email from thread
        union select author_email from thread_comment
        union select email from unsubscription
        union select recipient_email from delivery) known;

-- Post authors count as confirmed (post-service takes their address from their account);
-- commenters, who were mailed without having asked, must confirm like everybody else.
insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
select distinct on (author_email) author_email, pg_temp.mailbox_of(author_email), author_name, now(), 'POST_AUTHOR'
  from thread
 order by author_email, revision desc;
insert into address (email, mailbox, greeting_name)
select distinct on (author_email) author_email, pg_temp.mailbox_of(author_email), author_name
  from thread_comment
 order by author_email, position desc
on conflict (email) do nothing;
insert into address (email, mailbox, greeting_name)
select distinct on (recipient_email) recipient_email, pg_temp.mailbox_of(recipient_email), recipient_name
  from delivery
 order by recipient_email, id desc
on conflict (email) do nothing;
insert into address (email, mailbox, greeting_name)
select distinct email, pg_temp.mailbox_of(email), 'A reader' from unsubscription
on conflict (email) do nothing;

-- The unsubscriptions become preferences: a thread's is NONE, everything's is the global off.
insert into thread_preference (email, post_id, mode)
select email, post_id, 'NONE' from unsubscription where post_id is not null;
update address set mail_enabled = false where email in (select email from unsubscription where post_id is null);
drop table unsubscription;

-- The participants of every thread as far as it was fanned out; the thread stage adds the rest.
insert into thread_participant (post_id, email, first_position, latest_position, subscribed)
select post_id, author_email, 0, 0, true from thread;
insert into thread_participant (post_id, email, first_position, latest_position, subscribed)
select c.post_id, c.author_email, min(c.position), max(c.position), bool_or(c.notify)
  from thread_comment c join thread t on t.post_id = c.post_id
 where c.position <= t.fanned_out_position
 group by c.post_id, c.author_email
on conflict (post_id, email) do update
   set latest_position = excluded.latest_position, subscribed = true;

-- Mail not yet sent to an address nobody confirmed waits for its owner like any new one.
update delivery d set status = 'HELD', status_reason = 'address not confirmed'
  from address a
 where a.email = d.recipient_email and a.confirmed_at is null and d.status = 'PENDING';
