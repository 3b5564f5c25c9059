package org.ddpp.diffusion.model;

import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** DJL's {@link ParameterList} as a plain list of (name, parameter) pairs, in the block's fixed order. */
public final class ParameterLists {

    private ParameterLists() {}

    public static List<Pair<String, Parameter>> pairs(ParameterList list) {
        List<Pair<String, Parameter>> out = new ArrayList<>(list.size());
        for (Pair<String, Parameter> p : list) {
            out.add(p);
        }
        return out;
    }
}
