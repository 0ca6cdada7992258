-- Erasure of a person (issue 10): one row per erased address, by its subject (the HMAC-SHA256 of the
-- address under ensemble.erasure.key), never the address. sealed_at: when the ErasureSealed record
-- (subject only) was written to blog.erasures.v1, after which compaction drops the request that
-- carried the address.
create table erasure (
    subject      text        primary key,
    requested_at timestamptz not null default now(),
    sealed_at    timestamptz
);
create index erasure_to_seal on erasure (requested_at) where sealed_at is null;

-- Finding an address's posts (erasure, export) without reading every post.
create index post_author_email on post (lower(trim(author_email)));
