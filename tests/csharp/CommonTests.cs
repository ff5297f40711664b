// Version and status handling of the C# binding.
using System.Text.RegularExpressions;

namespace Kpi.Tests
{
    public static class CommonTests
    {
        [Test]
        public static void VersionMatchesLibrary()
        {
            Assert.True(Regex.IsMatch(Library.Version, @"^\d+\.\d+\.\d+$"), "version format");
            var parts = Library.Version.Split('.');
            int number = int.Parse(parts[0]) * 10000 + int.Parse(parts[1]) * 100 + int.Parse(parts[2]);
            Assert.Equal(number, Library.VersionNumber, "version number");
            Assert.True(Library.AbiVersion >= 0, "abi version");
        }

        [Test]
        public static void StatusTextComesFromTheLibrary()
        {
            Assert.Equal("buffer too small", Library.StatusText(Status.BufferTooSmall), "EBUFS text");
            Assert.Equal("unknown status", Library.StatusText((Status)(-4242)), "unknown code");
        }
    }
}
