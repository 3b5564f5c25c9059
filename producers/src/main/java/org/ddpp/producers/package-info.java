/** The sampler service: follows policy versions, samples candidates and publishes them to Kafka. */
package org.ddpp.producers;
