namespace T; public class P { [Fact] public void A_B_C() => Assert.Equal(1, 1); }
