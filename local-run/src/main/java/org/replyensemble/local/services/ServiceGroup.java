package org.replyensemble.local.services;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The started services, stopped together (in parallel: each may take its graceful-shutdown time). */
public final class ServiceGroup implements AutoCloseable {

    private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();

    public ServiceProcess add(ServiceProcess service) {
        services.add(service);
        return service;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    @Override
    public void close() {
        CompletableFuture.allOf(services.stream()
                .map(s -> CompletableFuture.runAsync(s::close))
                .toArray(CompletableFuture[]::new)).join();
    }
}
