public enum _Placeholder3 {}
