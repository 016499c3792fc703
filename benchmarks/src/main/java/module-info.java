/**
 * pmodel's JMH benchmarks. Not part of the public API and required by nothing; JMH runs them
 * from the uber jar {@code benchmarks/target/benchmarks.jar} on the class path, where this
 * descriptor is not used (it keeps the module's dependencies as explicit as every other
 * module's).
 */
module pmodel.benchmarks {
  requires pmodel.api;
  requires pmodel.data;
  requires pmodel.runtime;
  requires jmh.core;
  requires org.apache.commons.rng.sampling;
  requires com.fasterxml.jackson.databind;
  requires java.management;
  requires jdk.management;
}
