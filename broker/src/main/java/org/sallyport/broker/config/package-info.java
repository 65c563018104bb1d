/** Broker configuration: one YAML file, environment overrides, validated at start with errors that name the field. */
package org.sallyport.broker.config;
