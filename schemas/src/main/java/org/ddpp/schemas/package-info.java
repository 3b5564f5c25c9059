/** Avro record contracts, Confluent wire-format serdes, the schema-registry client and the typed topic registry. */
package org.ddpp.schemas;
