-- Events waiting to be relayed to Kafka. A row is written in the same transaction as the
-- business change it describes, so an event exists exactly when its change committed.
create table outbox_message (
    id           bigserial   primary key,
    topic        text        not null,
    message_key  text        not null,
    payload      text        not null,
    headers      jsonb       not null default '{}'::jsonb,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);

-- The relay reads only what is still to publish, in id order.
create index outbox_message_unpublished on outbox_message (id) where published_at is null;
-- The clean-up deletes published rows by age.
create index outbox_message_published_at on outbox_message (published_at) where published_at is not null;
