/** Loading and validating policy files (YAML with CEL conditions), with errors that name file, line and problem. */
package org.sallyport.policy.load;
