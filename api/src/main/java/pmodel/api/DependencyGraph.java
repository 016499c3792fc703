package pmodel.api;

import java.util.List;

/**
 * A model whose features depend on each other along a directed graph it learned (a Bayesian
 * network): the edges, strongest first, so that tools can show the structure ({@code inspect}
 * lists it, the HTML report draws it).
 */
public interface DependencyGraph extends GenerativeModel {
  /**
   * Feature {@code child} depends on feature {@code parent} (indices into the schema), with a
   * strength measured as {@link #weightName()} says.
   */
  record Edge(int parent, int child, double weight) {
  }

  /** The edges, strongest first. */
  List<Edge> edges();

  /** What an edge's weight measures, e.g. "mutual information (nats)". */
  String weightName();
}
