-- Token buckets of the comment rate limits (Bucket4j, select-for-update proxy manager), shared by
-- every instance. The id is a hash of what is limited (a client address or a mailbox, and the
-- limits' settings), never the address itself. A row past expires_at (epoch millis: its bucket
-- would be full again) is deleted by the cleaner; a new request simply creates it anew.
create table rate_limit_bucket (
    id         text   primary key,
    state      bytea,
    expires_at bigint
);
create index rate_limit_bucket_expires on rate_limit_bucket (expires_at);
