// Tickets in PlayerPrefs, so a player who relaunches the game gets its seat back: one key per
// match under prefix + matchId, saved at once. PlayerPrefs is plain storage on the device: the
// token it holds is a credential for the seat, as the login is.
using UnityEngine;

namespace NakamaRejoin
{
    public sealed class PlayerPrefsTokenStore : StringTokenStore
    {
        public PlayerPrefsTokenStore(string prefix = "nakama-rejoin.") : base(prefix) { }

        protected override string Read(string key) => PlayerPrefs.GetString(key, null);

        protected override void Write(string key, string value)
        {
            PlayerPrefs.SetString(key, value);
            PlayerPrefs.Save();
        }

        protected override void Delete(string key)
        {
            PlayerPrefs.DeleteKey(key);
            PlayerPrefs.Save();
        }
    }
}
