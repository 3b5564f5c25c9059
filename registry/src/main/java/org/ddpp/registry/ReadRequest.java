package org.ddpp.registry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link RegistryController} route that is not a GET but only reads (schema lookup, compatibility
 * test), so {@link BasicAuthFilter} lets read-only users call it. Every other non-GET route is a write:
 * a new route is closed to read-only users unless it says otherwise.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReadRequest {}
