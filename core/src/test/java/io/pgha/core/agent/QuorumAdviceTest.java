package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule 6 as users see it: a two-voter store is called out, a witness is named, in the log and in pgha list. */
class QuorumAdviceTest {

    @Test
    void exactlyTwoStoreVotersNeedAWitness() {
        assertThat(QuorumAdvice.warning(List.of("node1", "node2"))).hasValueSatisfying(w -> assertThat(w)
                .startsWith("automatic failover needs a witness: the store has two voters (node1, node2)")
                .contains("pgha witness --join"));
        assertThat(QuorumAdvice.warning(List.of("node1", "node2", "w"))).isEmpty();
        assertThat(QuorumAdvice.warning(List.of("node1"))).isEmpty();
    }

    @Test
    void theWarningIsLoggedOnceWhenItAppearsAndAgainOnlyAfterItChanged() {
        QuorumAdvice advice = new QuorumAdvice();
        assertThat(advice.check(List.of("node1"))).isEmpty();
        assertThat(advice.check(List.of("node1", "node2"))).isPresent();
        assertThat(advice.check(List.of("node1", "node2"))).isEmpty();
        assertThat(advice.check(List.of("node1", "node2", "w"))).isEmpty();
        assertThat(advice.check(List.of("node1", "node2"))).isPresent();
    }

    @Test
    void liveWitnessKeysOfStoreVotersAreWitnessesAndADownDataNodeIsNot() {
        assertThat(QuorumAdvice.witnesses(List.of("node1", "node2", "w1"), List.of("w1", "gone")))
                .containsExactly("w1");
    }

    @Test
    void pghaListShowsTheWitnessAndTheWarningUnderTheTable() throws Exception {
        String member = "{\"name\":\"node1\",\"host\":\"h\",\"port\":5442,\"role\":\"leader\",\"state\":\"running\","
                + "\"timeline\":1}";
        String withWitness = ClusterTable.render(new ObjectMapper().readTree("{\"scope\":\"c\",\"members\":["
                + member + "],\"witnesses\":[\"w1\"],\"warnings\":[]}"));
        assertThat(withWitness).endsWith("+\nWitness: w1 (store-only voter)\n").doesNotContain("WARNING");
        String twoNodes = ClusterTable.render(new ObjectMapper().readTree("{\"scope\":\"c\",\"members\":["
                + member + "],\"witnesses\":[],\"warnings\":[\"automatic failover needs a witness\"]}"));
        assertThat(twoNodes).endsWith("+\nWARNING: automatic failover needs a witness\n");
    }
}
