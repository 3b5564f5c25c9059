/** The Scorer SPI, built-in scorers, the scorer service and the Kafka Streams reward joiner. */
package org.ddpp.scorers;
